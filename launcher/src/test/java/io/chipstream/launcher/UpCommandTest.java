package io.chipstream.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UpCommandTest {
  @Test
  void hintNamesNoAddressOnTheDefaultPorts() {
    assertThat(UpCommand.consumeHint("127.0.0.1:9092", "http://127.0.0.1:8081"))
        .isEqualTo("./chipstream consume routing-decisions --max-records 5");
  }

  @Test
  void hintNamesTheAddressesThatConsumeWouldNotFindByItself() {
    assertThat(UpCommand.consumeHint("127.0.0.1:19092", "http://127.0.0.1:8081"))
        .isEqualTo("./chipstream consume routing-decisions --max-records 5"
            + " --bootstrap-servers 127.0.0.1:19092");
    assertThat(UpCommand.consumeHint("127.0.0.1:19092", "http://127.0.0.1:18081"))
        .isEqualTo("./chipstream consume routing-decisions --max-records 5"
            + " --bootstrap-servers 127.0.0.1:19092 --schema-registry-url http://127.0.0.1:18081");
  }
}
