package io.cronexecutor.api;

import jakarta.annotation.security.DeclareRoles;
import jakarta.security.enterprise.authentication.mechanism.http.BasicAuthenticationMechanismDefinition;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/** The REST API under {@code /}; web.xml says which role each method needs. */
@ApplicationPath("/")
@BasicAuthenticationMechanismDefinition(realmName = "cron-executor")
@DeclareRoles({ApiCredentials.VIEWER, ApiCredentials.OPERATOR})
@SecurityScheme(securitySchemeName = RestApplication.SIGN_IN, type = SecuritySchemeType.HTTP, scheme = "basic",
        description = "'viewer' reads, 'operator' also changes; passwords from cron.api.viewer-password and cron.api.operator-password")
public class RestApplication extends Application {

    /** The OpenAPI name of the sign-in every /jobs operation requires. */
    static final String SIGN_IN = "basic";
}
