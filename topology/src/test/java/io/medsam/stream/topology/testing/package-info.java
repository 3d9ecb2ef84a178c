/**
 * Test support shared by the workers' integration tests, published in medsam-topology's test-jar
 * (test scope only): a real one-node KRaft broker in the test JVM, a whole-topic reader and a clock
 * that tests move.
 */
package io.medsam.stream.topology.testing;
