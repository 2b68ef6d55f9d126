package io.cronexecutor.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.security.enterprise.credential.UsernamePasswordCredential;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import jakarta.security.enterprise.identitystore.IdentityStore;
import org.eclipse.microprofile.config.Config;

import java.util.Optional;

/** Signs in the REST API's callers against the passwords in MicroProfile Config. */
@ApplicationScoped
public class ApiIdentityStore implements IdentityStore {

    @Inject
    Config config;

    private volatile ApiCredentials credentials;

    /** Read once; validated at deployment by {@link io.cronexecutor.ExecutorRuntime}, so this cannot fail later. */
    ApiCredentials credentials() {
        ApiCredentials known = credentials;
        if (known == null) {
            known = ApiCredentials.of(config.getOptionalValue(ApiCredentials.OPERATOR_KEY, String.class),
                    config.getOptionalValue(ApiCredentials.VIEWER_KEY, String.class));
            credentials = known;
        }
        return known;
    }

    public CredentialValidationResult validate(UsernamePasswordCredential credential) {
        Optional<java.util.Set<String>> roles = credentials().rolesOf(credential.getCaller(), credential.getPasswordAsString());
        return roles.map(r -> new CredentialValidationResult(credential.getCaller(), r))
                .orElse(CredentialValidationResult.INVALID_RESULT);
    }
}
