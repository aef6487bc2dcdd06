using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Campaigns.Core.Languages;

public static class LanguageRegistration
{
    /// <summary>
    /// The region → language map (<c>Languages:Regions</c>, else <see cref="LanguageOptions.BuiltInRegions"/>; checked at
    /// start) and the recipient language rule: the API's send and preview and the worker's A/B release all resolve here.
    /// </summary>
    public static IServiceCollection AddRecipientLanguages(this IServiceCollection services)
    {
        services.AddOptions<LanguageOptions>().BindConfiguration(LanguageOptions.Section)
            .PostConfigure(options =>
            {
                if (options.Regions.Count == 0)
                {
                    foreach (var (region, languages) in LanguageOptions.BuiltInRegions)
                    {
                        options.Regions[region] = languages;
                    }
                }
            })
            .Validate(options => options.Regions.All(r => r.Key.Length == 2 && r.Value.All(l => LanguageTag.Normalize(l) is not null)),
                "Languages:Regions must map two-letter regions to languages that are BCP 47 primary subtags (en, sw)")
            .ValidateOnStart();
        services.AddSingleton(provider => new RecipientLanguages(provider.GetRequiredService<IOptions<LanguageOptions>>().Value.Regions));
        return services;
    }
}
