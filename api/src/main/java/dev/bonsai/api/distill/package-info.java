/**
 * Knowledge distillation recipes: what a student learns from its teacher, expressed as declarative
 * {@link dev.bonsai.api.engine.LossTerm loss terms} so that a recipe needs no engine code.
 */
package dev.bonsai.api.distill;
