/**
 * Knowledge distillation recipes: what a student learns from its teacher, expressed as declarative
 * {@link dev.bonsai.api.engine.LossTerm loss terms} (and optional {@link dev.bonsai.api.distill.TrainingStage
 * stages} and teacher-written training data) so that a recipe needs no engine code;
 * {@link dev.bonsai.api.distill.TeacherChecks} holds the checks every host and engine applies to a teacher.
 */
package dev.bonsai.api.distill;
