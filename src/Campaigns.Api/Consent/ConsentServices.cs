namespace Campaigns.Api.Consent;

public static class ConsentServices
{
    /// <summary>The suppression list, inbound messages and the keyword replies' texts (<c>Consent:</c>).</summary>
    public static WebApplicationBuilder AddConsent(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ConsentOptions>()
            .BindConfiguration(ConsentOptions.SectionName)
            .Configure<IConfiguration>((consent, configuration) =>
                consent.TwilioAnswersKeywords = configuration.GetValue("Providers:Twilio:HandlesOptOutKeywords", true))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<ConsentStore>();
        builder.Services.AddSingleton<InboundReceiver>();
        return builder;
    }
}
