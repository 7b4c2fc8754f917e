package dev.admit.projection;

import java.util.List;

/**
 * One page of an organization's users.
 *
 * @param total how many users the organization has in all
 * @param offset how many users come before this page
 * @param users this page's users, in the order of their ids
 */
public record UserPage(long total, long offset, List<UserView> users) {

    public UserPage {
        users = List.copyOf(users);
    }
}
