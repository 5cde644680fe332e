/**
 * Annotations on the components of plugin options records: documentation, defaults and allowed ranges.
 *
 * <p>The host binds a descriptor's map to an options record: each key names a record component, a missing key
 * takes the component's {@link dev.bonsai.api.options.DefaultValue} (or is an error when there is none), and a
 * value outside its {@link dev.bonsai.api.options.Range} is an error naming the file, line and column.
 * Components may be primitives, boxed numbers, strings, enums, lists of those, or nested records.
 */
package dev.bonsai.api.options;
