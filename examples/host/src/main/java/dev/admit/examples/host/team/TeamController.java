package dev.admit.examples.host.team;

import java.util.Map;
import java.util.UUID;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** The host's own web API, on Tomcat, through the host's own command gateway. */
@RestController
class TeamController {

    private final CommandGateway commands;
    private final TeamNames names;

    TeamController(CommandGateway commands, TeamNames names) {
        this.commands = commands;
        this.names = names;
    }

    @PostMapping("/teams")
    Map<String, String> create(@RequestBody Map<String, String> body) {
        String teamId = UUID.randomUUID().toString();
        commands.sendAndWait(new CreateTeamCommand(teamId, body.get("name")));
        return Map.of("teamId", teamId);
    }

    @GetMapping("/teams/{teamId}")
    ResponseEntity<Map<String, String>> read(@PathVariable String teamId) {
        return names.nameOf(teamId)
                .map(name -> ResponseEntity.ok(Map.of("teamId", teamId, "name", name)))
                .orElse(ResponseEntity.notFound().build());
    }
}
