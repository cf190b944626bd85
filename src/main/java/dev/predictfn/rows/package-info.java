/**
 * Rows as the model takes them, whatever carried them: reading JSON with errors in a caller's words
 * ({@link dev.predictfn.rows.JsonInput}), validating one row against the model's input schema
 * ({@link dev.predictfn.rows.RowReader}) and collecting what is wrong, each with a JSON Pointer
 * ({@link dev.predictfn.rows.FieldErrors}). Every protocol and the batch job share these words;
 * nothing here knows HTTP.
 */
package dev.predictfn.rows;
