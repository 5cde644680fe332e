/**
 * Finding dataset files offline and online: {@link dev.bonsai.datasets.files.DataLocations} says where to look,
 * {@link dev.bonsai.datasets.files.DataFileResolver} looks there in order, downloads into the user cache when
 * allowed, and verifies every file by SHA-256.
 */
package dev.bonsai.datasets.files;
