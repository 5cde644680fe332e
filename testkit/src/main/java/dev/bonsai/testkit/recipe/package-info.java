/** The contract every distillation recipe passes: a recipe's test extends {@link dev.bonsai.testkit.recipe.DistillationRecipeContract}. */
package dev.bonsai.testkit.recipe;
