wirestack::synth_main!();
