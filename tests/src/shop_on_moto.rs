//! The example's queues, topic, table, bucket and secret, created in the local AWS stand-in, with
//! the environment its capabilities read pointed at them: what the deployed
//! template gives each function.

use crate::moto::moto;
use aws_config::BehaviorVersion;
use tokio::sync::OnceCell;

/// Clients and resources for the example on moto.
pub struct ShopOnMoto {
    pub sqs: aws_sdk_sqs::Client,
    pub secrets: aws_sdk_secretsmanager::Client,
    pub dynamodb: aws_sdk_dynamodb::Client,
    pub order_book: String,
    pub s3: aws_sdk_s3::Client,
    pub receipts: String,
    pub sns: aws_sdk_sns::Client,
    pub orders_url: String,
    pub notify_url: String,
    pub shipped_arn: String,
    /// A queue subscribed to `shipped`, to observe what is published.
    pub shipped_tap_url: String,
}

/// Creates the resources once per test process and sets the variables
/// `WIRESTACK_QUEUE_ORDERS`, `WIRESTACK_QUEUE_NOTIFY`, `WIRESTACK_TOPIC_SHIPPED`,
/// `WIRESTACK_TABLE_ORDER_BOOK`, `WIRESTACK_BUCKET_RECEIPTS`, `WIRESTACK_SECRET_CARRIER_API_KEY`.
pub async fn shop_on_moto() -> &'static ShopOnMoto {
    static SHOP: OnceCell<ShopOnMoto> = OnceCell::const_new();
    SHOP.get_or_init(|| async {
        moto();
        let config = aws_config::defaults(BehaviorVersion::latest()).load().await;
        let sqs = aws_sdk_sqs::Client::new(&config);
        let sns = aws_sdk_sns::Client::new(&config);
        let queue = |name: &'static str| {
            let sqs = sqs.clone();
            async move { sqs.create_queue().queue_name(name).send().await.unwrap().queue_url().unwrap().to_owned() }
        };
        let orders_url = queue("shop-orders").await;
        let notify_url = queue("shop-notify").await;
        let shipped_tap_url = queue("shop-shipped-tap").await;
        let shipped_arn = sns.create_topic().name("shop-shipped").send().await.unwrap().topic_arn().unwrap().to_owned();
        let tap_arn = sqs
            .get_queue_attributes()
            .queue_url(&shipped_tap_url)
            .attribute_names(aws_sdk_sqs::types::QueueAttributeName::QueueArn)
            .send()
            .await
            .unwrap()
            .attributes()
            .unwrap()[&aws_sdk_sqs::types::QueueAttributeName::QueueArn]
            .clone();
        sns.subscribe()
            .topic_arn(&shipped_arn)
            .protocol("sqs")
            .endpoint(tap_arn)
            .attributes("RawMessageDelivery", "true")
            .send()
            .await
            .unwrap();
        let dynamodb = aws_sdk_dynamodb::Client::new(&config);
        let order_book = "shop-order-book".to_owned();
        use aws_sdk_dynamodb::types::{
            AttributeDefinition, BillingMode, KeySchemaElement, KeyType, ScalarAttributeType,
        };
        dynamodb
            .create_table()
            .table_name(&order_book)
            .billing_mode(BillingMode::PayPerRequest)
            .attribute_definitions(
                AttributeDefinition::builder()
                    .attribute_name("id")
                    .attribute_type(ScalarAttributeType::S)
                    .build()
                    .unwrap(),
            )
            .key_schema(KeySchemaElement::builder().attribute_name("id").key_type(KeyType::Hash).build().unwrap())
            .send()
            .await
            .unwrap();
        std::env::set_var("WIRESTACK_TABLE_ORDER_BOOK", &order_book);
        let secrets = aws_sdk_secretsmanager::Client::new(&config);
        let carrier_key = secrets
            .create_secret()
            .name("shop-carrier-api-key")
            .secret_string("k3y-for-the-carrier")
            .send()
            .await
            .unwrap();
        std::env::set_var("WIRESTACK_SECRET_CARRIER_API_KEY", carrier_key.arn().unwrap());
        // Path-style addressing: moto has no per-bucket host names.
        let s3 =
            aws_sdk_s3::Client::from_conf(aws_sdk_s3::config::Builder::from(&config).force_path_style(true).build());
        let receipts = "shop-receipts".to_owned();
        s3.create_bucket().bucket(&receipts).send().await.unwrap();
        std::env::set_var("WIRESTACK_BUCKET_RECEIPTS", &receipts);
        // The `carriers` layer, where Lambda would mount it under /opt.
        std::env::set_var("SHOP_LAYERS", crate::workspace().join("examples/shop/layers/carriers"));
        // moto's Lambda answers any function name, so none is created.
        std::env::set_var("WIRESTACK_FUNCTION_TALLY", "shop-tally");
        std::env::set_var("WIRESTACK_QUEUE_ORDERS", &orders_url);
        std::env::set_var("WIRESTACK_QUEUE_NOTIFY", &notify_url);
        std::env::set_var("WIRESTACK_TOPIC_SHIPPED", &shipped_arn);
        ShopOnMoto {
            sqs,
            secrets,
            dynamodb,
            order_book,
            s3,
            receipts,
            sns,
            orders_url,
            notify_url,
            shipped_arn,
            shipped_tap_url,
        }
    })
    .await
}

impl ShopOnMoto {
    /// Every message body waiting on `queue_url` (removing them).
    pub async fn drain(&self, queue_url: &str) -> Vec<String> {
        let mut bodies = Vec::new();
        loop {
            let output =
                self.sqs.receive_message().queue_url(queue_url).max_number_of_messages(10).send().await.unwrap();
            let messages = output.messages();
            if messages.is_empty() {
                return bodies;
            }
            for message in messages {
                bodies.push(message.body().unwrap_or_default().to_owned());
                let handle = message.receipt_handle().unwrap();
                self.sqs.delete_message().queue_url(queue_url).receipt_handle(handle).send().await.unwrap();
            }
        }
    }
}
