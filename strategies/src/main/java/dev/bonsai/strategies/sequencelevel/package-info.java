/** The {@code sequence-level} distillation recipe: the teacher writes the student's training data. */
package dev.bonsai.strategies.sequencelevel;
