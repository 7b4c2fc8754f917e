package dev.admit.projection;

import dev.admit.domain.user.OrgId;
import java.time.Instant;

/**
 * The details of a read: the 1-based sequence and the timestamp of the user's last event that the projection has
 * applied, and the user's organization.
 */
public record ReadDetails(long sequence, Instant changeDate, OrgId resourceOwner) {}
