package dev.admit.examples.host.team;

import java.util.Optional;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** The host's read model of its teams, kept by a processor of the host's own Axon configuration. */
@Component
@ProcessingGroup("team-names")
public class TeamNames {

    private final JdbcTemplate jdbc;

    TeamNames(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(TeamCreated event) {
        jdbc.update(
                "INSERT INTO team (team_id, name) VALUES (?, ?) ON CONFLICT (team_id) DO NOTHING",
                event.teamId(),
                event.name());
    }

    public Optional<String> nameOf(String teamId) {
        return jdbc.queryForList("SELECT name FROM team WHERE team_id = ?", String.class, teamId).stream()
                .findFirst();
    }
}
