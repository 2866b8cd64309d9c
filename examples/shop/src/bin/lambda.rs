wirestack::lambda_main!();
