/**
 * The contract every {@link dev.bonsai.api.data.DatasetProvider} must meet, as an abstract JUnit 5 class a
 * plugin's tests extend, {@link dev.bonsai.testkit.dataset.DatasetProviderContract}, loading small fixture files the
 * author supplies.
 */
package dev.bonsai.testkit.dataset;
