package io.chipstream.schema.registry;

/**
 * One version of a subject, as the registry reports it.
 *
 * @param subject the subject
 * @param version the version within the subject, from 1
 * @param id the registry-wide schema id
 * @param schema the schema text
 */
public record RegisteredSchema(String subject, int version, int id, String schema) {}
