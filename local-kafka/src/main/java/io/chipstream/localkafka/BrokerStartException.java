package io.chipstream.localkafka;

/** The local broker could not be started; the message says why and what to change. */
public class BrokerStartException extends RuntimeException {
  public BrokerStartException(String message) {
    super(message);
  }

  public BrokerStartException(String message, Throwable cause) {
    super(message, cause);
  }
}
