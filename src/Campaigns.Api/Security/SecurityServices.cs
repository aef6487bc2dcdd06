namespace Campaigns.Api.Security;

/// <summary>
/// The API's protective middleware: response security headers (<see cref="SecurityHeadersMiddleware"/>),
/// request line and header limits (<see cref="RequestHeadLimitsMiddleware"/>) and the API key check (not ASP.NET Core authentication: it names the caller for idempotency scopes
/// and rate budgets, and answers 401 in the contract's envelope), in two steps around the rate limiter:
/// <see cref="CallerIdentityMiddleware"/> names the caller, <see cref="ApiKeyRequirementMiddleware"/> refuses.
/// </summary>
public static class SecurityServices
{
    public static IServiceCollection AddApiKeyChecks(this IServiceCollection services)
    {
        services.AddOptions<ApiKeyOptions>().BindConfiguration(ApiKeyOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ApiKeyVerifier>();
        return services;
    }

    public static WebApplication UseSecurityHeaders(this WebApplication app)
    {
        app.UseMiddleware<SecurityHeadersMiddleware>();
        return app;
    }

    public static WebApplication UseRequestHeadLimits(this WebApplication app)
    {
        app.UseMiddleware<RequestHeadLimitsMiddleware>();
        return app;
    }

    public static WebApplication UseCallerIdentity(this WebApplication app)
    {
        app.UseMiddleware<CallerIdentityMiddleware>();
        return app;
    }

    public static WebApplication UseApiKeyRequirement(this WebApplication app)
    {
        if (app.Configuration.GetValue<bool>($"{ApiKeyOptions.SectionName}:{nameof(ApiKeyOptions.Disabled)}"))
        {
            Log.AuthenticationDisabled(app.Logger);
        }
        app.UseMiddleware<ApiKeyRequirementMiddleware>();
        return app;
    }
}
