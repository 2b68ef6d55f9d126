package io.cronexecutor.api;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * The container's own refusals (401 before sign-in, 403 for a caller without the role) come
 * here as error pages (see web.xml), so they are JSON like every other error of the API.
 */
@WebServlet("/api-error")
public class ApiErrorServlet extends HttpServlet {

    private static final Jsonb JSON = JsonbBuilder.create();

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer i ? i : HttpServletResponse.SC_UNAUTHORIZED;
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        ApiError error = switch (status) {
            case HttpServletResponse.SC_UNAUTHORIZED -> new ApiError(status, "Unauthorized",
                    "sign in with HTTP Basic as '" + ApiCredentials.OPERATOR + "' (to read and change) or '"
                            + ApiCredentials.VIEWER + "' (to read); their passwords are set by "
                            + ApiCredentials.OPERATOR_KEY + " and " + ApiCredentials.VIEWER_KEY);
            case HttpServletResponse.SC_FORBIDDEN -> new ApiError(status, "Forbidden",
                    "'" + request.getRemoteUser() + "' may read but not change state: " + request.getMethod() + " "
                            + uri + " needs the '" + ApiCredentials.OPERATOR + "' role");
            default -> new ApiError(status, "Error", "request to " + uri + " failed");
        };
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(JSON.toJson(error));
    }
}
