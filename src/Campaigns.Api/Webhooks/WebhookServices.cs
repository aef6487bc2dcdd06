namespace Campaigns.Api.Webhooks;

public static class WebhookServices
{
    /// <summary>The providers' webhook secrets, the inbox the webhooks write to, and logs that keep their tokens out.</summary>
    public static WebApplicationBuilder AddWebhooks(this WebApplicationBuilder builder)
    {
        // One object from both sections: Webhooks:PublicBaseUrl, and Providers:<name>:<secret>.
        builder.Services.AddOptions<WebhookOptions>()
            .BindConfiguration(WebhookOptions.WebhooksSection)
            .BindConfiguration(WebhookOptions.ProvidersSection)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<WebhookInbox>();
        // ASP.NET Core writes each request's line, query included, before any middleware could redact a
        // webhook's token: those lines stay off whatever Microsoft.AspNetCore's level (traces carry requests).
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
        return builder;
    }

    /// <summary>First in the pipeline, so every webhook request's span is redacted, refused ones included.</summary>
    public static WebApplication UseWebhookQueryRedaction(this WebApplication app)
    {
        app.UseMiddleware<WebhookQueryRedaction>();
        return app;
    }
}
