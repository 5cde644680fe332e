/**
 * GraSP, Gradient Signal Preservation (C. Wang, G. Zhang and R. Grosse, "Picking Winning Tickets Before Training
 * by Preserving Gradient Flow", ICLR 2020), as a Bonsai pruning strategy plugin.
 */
package org.example.bonsai.grasp;
