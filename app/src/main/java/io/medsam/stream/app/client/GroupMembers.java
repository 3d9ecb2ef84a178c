package io.medsam.stream.app.client;

import io.medsam.stream.app.pipeline.Role;
import io.medsam.stream.topology.ClientConfigs;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workers' consumer groups as a session sees them: which roles have no running member, and
 * removing the members of workers a session ran once they have closed.
 */
public final class GroupMembers {

  private static final Logger LOG = LoggerFactory.getLogger(GroupMembers.class);

  private GroupMembers() {}

  /**
   * @param bootstrapServers the cluster
   * @param roles the roles to look for
   * @return those of {@code roles} whose consumer group has no active member
   */
  public static Set<Role> missingRoles(final String bootstrapServers, final Set<Role> roles) {
    final Set<Role> missing = EnumSet.noneOf(Role.class);
    try (Admin admin = Admin.create(ClientConfigs.admin(bootstrapServers))) {
      for (final Role role : roles) {
        try {
          final ConsumerGroupDescription d =
              admin
                  .describeConsumerGroups(Set.of(role.group()))
                  .describedGroups()
                  .get(role.group())
                  .get();
          if (d.members().isEmpty()) {
            missing.add(role);
          }
        } catch (ExecutionException e) {
          missing.add(role); // no such group yet
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          missing.add(role);
        }
      }
    }
    return missing;
  }

  /**
   * Removes the members of the groups of workers a session ran, which have just closed: a Kafka
   * Streams member does not leave its group on close, and would otherwise count as a running
   * decoder for the next command until its session times out.
   *
   * @param bootstrapServers the cluster
   * @param roles the roles whose groups are emptied
   */
  static void forget(final String bootstrapServers, final Set<Role> roles) {
    try (Admin admin = Admin.create(ClientConfigs.admin(bootstrapServers))) {
      for (final Role role : roles) {
        try {
          admin
              .removeMembersFromConsumerGroup(
                  role.group(), new RemoveMembersFromConsumerGroupOptions())
              .all()
              .get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
          LOG.debug("group {}: {}", role.group(), e.toString()); // already empty
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }
}
