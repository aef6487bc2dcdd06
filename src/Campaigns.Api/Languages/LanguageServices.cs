using Campaigns.Core.Languages;
using Microsoft.Extensions.Options;

namespace Campaigns.Api.Languages;

public static class LanguageServices
{
    /// <summary>The region → language map (checked at start), the recipient language rule, and the translation checker.</summary>
    public static IServiceCollection AddLanguages(this IServiceCollection services)
    {
        services.AddRecipientLanguages();
        services.AddSingleton<TranslationCheck>();
        return services;
    }
}
