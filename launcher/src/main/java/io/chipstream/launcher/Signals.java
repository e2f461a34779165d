package io.chipstream.launcher;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * Turns Ctrl-C (SIGINT) and SIGTERM into a call, instead of the JVM's default of running the
 * shutdown hooks and exiting with 130: {@code up} then stops its components in order and exits
 * 0. Uses {@code sun.misc.Signal} (module jdk.unsupported) by reflection, so it compiles without
 * internal-API warnings; where it is missing, the caller's shutdown hook still applies.
 */
final class Signals {
  private Signals() {}

  /** Calls {@code action} on SIGINT and SIGTERM; false if signals cannot be handled here. */
  static boolean onStop(Runnable action) {
    try {
      Class<?> signalClass = Class.forName("sun.misc.Signal");
      Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
      InvocationHandler invocation = (proxy, method, args) -> {
        if (method.getName().equals("handle")) {
          action.run();
        }
        return null;
      };
      Object handler = Proxy.newProxyInstance(Signals.class.getClassLoader(),
          new Class<?>[] {handlerClass}, invocation);
      Method handle = signalClass.getMethod("handle", signalClass, handlerClass);
      for (String name : new String[] {"INT", "TERM"}) {
        handle.invoke(null, signalClass.getConstructor(String.class).newInstance(name), handler);
      }
      return true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false;
    }
  }
}
