package io.chipstream.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UpCommandTest {
  @Test
  void hintNamesNoAddressOnTheDefaultPorts() {
    assertThat(UpCommand.consumeHint("127.0.0.1:9092", "http://127.0.0.1:8081"))
        .isEqualTo("./chipstream consume routing-decisions --from-beginning --max-records 5");
  }

  @Test
  void hintNamesTheAddressesThatConsumeWouldNotFindByItself() {
    assertThat(UpCommand.consumeHint("127.0.0.1:19092", "http://127.0.0.1:8081"))
        .isEqualTo("./chipstream consume routing-decisions --from-beginning --max-records 5"
            + " --bootstrap-servers 127.0.0.1:19092");
    assertThat(UpCommand.consumeHint("127.0.0.1:19092", "http://127.0.0.1:18081"))
        .isEqualTo("./chipstream consume routing-decisions --from-beginning --max-records 5"
            + " --bootstrap-servers 127.0.0.1:19092 --schema-registry-url http://127.0.0.1:18081");
  }

  @Test
  void theScreenKeepsTheAddressesAndTheHintThatEachRefreshClears() {
    assertThat(UpCommand.screenHeader("127.0.0.1:19092", "http://127.0.0.1:18081",
        "http://127.0.0.1:18080").lines()).containsExactly(
            "chipstream up  Kafka 127.0.0.1:19092  registry http://127.0.0.1:18081  dashboard"
                + " http://127.0.0.1:18080/",
            "Try: ./chipstream consume routing-decisions --from-beginning --max-records 5"
                + " --bootstrap-servers 127.0.0.1:19092 --schema-registry-url"
                + " http://127.0.0.1:18081");
  }
}
