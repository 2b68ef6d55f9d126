package io.cronexecutor.api;

import jakarta.annotation.security.DeclareRoles;
import jakarta.security.enterprise.authentication.mechanism.http.BasicAuthenticationMechanismDefinition;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The REST API under {@code /}; web.xml says which role each method needs. */
@ApplicationPath("/")
@BasicAuthenticationMechanismDefinition(realmName = "cron-executor")
@DeclareRoles({ApiCredentials.VIEWER, ApiCredentials.OPERATOR})
public class RestApplication extends Application {
}
