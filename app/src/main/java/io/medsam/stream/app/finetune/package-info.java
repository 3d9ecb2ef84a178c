/**
 * The fine-tuning demonstration: clinicians' corrections for targets the demo model never saw go
 * through the running trainer, and the running decoder serves the weights it publishes.
 */
package io.medsam.stream.app.finetune;
