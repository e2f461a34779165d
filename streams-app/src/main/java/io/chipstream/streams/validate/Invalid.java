package io.chipstream.streams.validate;

/**
 * A rejected record: the reason code and a message for people.
 *
 * @param reason the code
 * @param message what exactly was wrong
 */
public record Invalid(RejectReason reason, String message) {}
