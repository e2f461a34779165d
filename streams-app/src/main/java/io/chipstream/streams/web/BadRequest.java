package io.chipstream.streams.web;

/** A query the API cannot answer as asked: a 400 with this message. */
final class BadRequest extends RuntimeException {
  BadRequest(String message) {
    super(message, null, false, false);
  }
}
