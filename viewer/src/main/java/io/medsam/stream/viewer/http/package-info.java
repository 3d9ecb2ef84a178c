/**
 * The viewer's HTTP API and static page: every request checked before anything reaches a topic
 * (unknown slice, box outside the image, malformed or oversized body: a 4xx with a message the page
 * shows, and nothing published).
 */
package io.medsam.stream.viewer.http;
