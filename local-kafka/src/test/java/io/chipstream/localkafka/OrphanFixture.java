package io.chipstream.localkafka;

/** A JVM that starts a broker, says where, and waits to be killed (see LocalKafkaBrokerIT). */
public final class OrphanFixture {
  private OrphanFixture() {}

  public static void main(String[] args) throws InterruptedException {
    LocalKafkaBroker broker = LocalKafkaBroker.builder().build().start();
    System.out.println("READY " + broker.pid() + " " + broker.dataDir());
    System.out.flush();
    new java.util.concurrent.CountDownLatch(1).await();
  }
}
