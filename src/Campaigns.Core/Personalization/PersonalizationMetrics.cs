using System.Diagnostics.Metrics;

namespace Campaigns.Core.Personalization;

/// <summary>
/// <c>campaigns.personalization.calls</c> (model calls, by channel) and <c>campaigns.personalization.fallbacks</c> (messages
/// that got the plain rendering, by channel and reason), <c>campaigns.translation.fallbacks</c> (languages left untranslated). The model calls' own spans and token counts come from
/// Microsoft.Extensions.AI's OpenTelemetry client (<see cref="PersonalizationModel.ActivitySourceName"/>).
/// </summary>
public sealed class PersonalizationMetrics
{
    public const string MeterName = "Campaigns.Personalization";

    private readonly Counter<long> _calls;
    private readonly Counter<long> _fallbacks;
    private readonly Counter<long> _translationFallbacks;

    public PersonalizationMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _calls = meter.CreateCounter<long>("campaigns.personalization.calls", unit: "{call}", description: "Language model calls");
        _fallbacks = meter.CreateCounter<long>("campaigns.personalization.fallbacks", unit: "{message}",
            description: "Personalized messages that got the plain rendering instead of the model's text");
        _translationFallbacks = meter.CreateCounter<long>("campaigns.translation.fallbacks", unit: "{language}",
            description: "Languages of an auto_translate campaign that got the untranslated template instead of the model's translation");
    }

    public void Called(string channel) => _calls.Add(1, new KeyValuePair<string, object?>("channel", channel));

    public void FellBack(string channel, string reason) =>
        _fallbacks.Add(1, new KeyValuePair<string, object?>("channel", channel), new KeyValuePair<string, object?>("reason", reason));

    /// <summary>A language of an <c>auto_translate</c> campaign left untranslated (<c>campaigns.translation.fallbacks</c>).</summary>
    public void TranslationFellBack(string channel, string reason) =>
        _translationFallbacks.Add(1, new KeyValuePair<string, object?>("channel", channel), new KeyValuePair<string, object?>("reason", reason));
}
