using Campaigns.Core.Languages;
using Microsoft.Extensions.Options;

namespace Campaigns.Api.Languages;

public static class LanguageServices
{
    /// <summary>The region → language map (checked at start), the recipient language rule, and the translation checker.</summary>
    public static IServiceCollection AddLanguages(this IServiceCollection services)
    {
        services.AddOptions<LanguageOptions>().BindConfiguration(LanguageOptions.Section)
            .Validate(options => options.Regions.All(r => r.Key.Length == 2 && r.Value.All(l => LanguageTag.Normalize(l) is not null)),
                "Languages:Regions must map two-letter regions to languages that are BCP 47 primary subtags (en, sw)")
            .ValidateOnStart();
        services.AddSingleton(provider => new RecipientLanguages(provider.GetRequiredService<IOptions<LanguageOptions>>().Value.Regions));
        services.AddSingleton<TranslationCheck>();
        return services;
    }
}
