package dev.predictfn.http;

import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The OpenAPI error responses of a route that answers RFC 9457 problems: 400 for a body to fix, 413
 * over the limits, 503 while no verified model is loaded ({@code src/main/openapi/errors.yml}).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@ApiResponse(responseCode = "400", ref = "#/components/responses/ProblemBadRequest")
@ApiResponse(responseCode = "413", ref = "#/components/responses/ProblemTooLarge")
@ApiResponse(responseCode = "503", ref = "#/components/responses/ProblemUnavailable")
public @interface ProblemAnswers {}
