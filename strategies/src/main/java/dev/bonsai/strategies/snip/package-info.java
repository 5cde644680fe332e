/** SNIP connection sensitivity. */
package dev.bonsai.strategies.snip;
