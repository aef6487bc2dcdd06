namespace Campaigns.Api.Security;

public static class SecurityServices
{
    public static IServiceCollection AddApiKeyAuthentication(this IServiceCollection services)
    {
        services.AddOptions<ApiKeyOptions>().BindConfiguration(ApiKeyOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ApiKeyVerifier>();
        return services;
    }

    /// <summary>Authentication, then the caller's rate budget.</summary>
    public static WebApplication UseApiSecurity(this WebApplication app)
    {
        if (app.Configuration.GetValue<bool>($"{ApiKeyOptions.SectionName}:{nameof(ApiKeyOptions.Disabled)}"))
        {
            Log.AuthenticationDisabled(app.Logger);
        }
        app.UseMiddleware<ApiKeyMiddleware>();
        app.UseRateLimiter();
        return app;
    }
}
