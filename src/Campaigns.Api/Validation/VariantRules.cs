using System.Text.RegularExpressions;
using Campaigns.Api.Contracts;
using Campaigns.Api.Timing;
using Campaigns.Core.Content;

namespace Campaigns.Api.Validation;

/// <summary>The rules of a campaign's variants and A/B test (api.md, "Variants, links and languages").</summary>
public static partial class VariantRules
{
    public const int MinVariants = 2;
    public const int MaxVariants = 5;
    public const int MaxKeyLength = 20;
    public const int MaxWeight = 1_000;
    public const int MinSamplePercent = 1;
    public const int MaxSamplePercent = 50;

    /// <summary>The shortest <c>decide_after</c>: a second, so a test can run a whole A/B test in seconds.</summary>
    public static readonly TimeSpan MinDecideAfter = TimeSpan.FromSeconds(1);

    /// <summary>The longest <c>decide_after</c>, as long as the longest validity.</summary>
    public static readonly TimeSpan MaxDecideAfter = TimeSpan.FromDays(28);

    [GeneratedRegex("^[A-Za-z0-9_-]{1,20}$", RegexOptions.CultureInvariant)]
    private static partial Regex KeyPattern();

    [GeneratedRegex("^[a-z]{2,3}$", RegexOptions.CultureInvariant)]
    private static partial Regex LanguagePattern();

    /// <summary>Checks the variants; each template and translation is held to <c>base_template</c>'s rules.</summary>
    /// <returns>The variants as stored, or null when absent or invalid.</returns>
    public static IReadOnlyList<VariantContent>? CheckVariants(ValidationErrors errors, IReadOnlyList<VariantRequest>? variants, string? channel,
        TemplateOptions limits, string? trackedLinkPrefix)
    {
        const string field = "variants";
        if (variants is null)
        {
            return null;
        }
        if (variants.Count is < MinVariants or > MaxVariants)
        {
            errors.Add(field, $"{field} must list {MinVariants} to {MaxVariants} variants");
            return null;
        }
        var before = errors.Count;
        var keys = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < variants.Count; i++)
        {
            var variant = variants[i];
            var at = $"{field}[{i}]";
            if (variant.Key is null || !KeyPattern().IsMatch(variant.Key))
            {
                errors.Add($"{at}.key", $"{at}.key is required: 1 to {MaxKeyLength} of A-Z, a-z, 0-9, _ and -");
            }
            else if (!keys.Add(variant.Key))
            {
                errors.Add($"{at}.key", $"{at}.key '{variant.Key}' is already the key of another variant");
            }
            if (variant.Weight is not (>= 1 and <= MaxWeight))
            {
                errors.Add($"{at}.weight", $"{at}.weight is required: a whole number from 1 to {MaxWeight}");
            }
            CampaignRules.CheckTemplate(errors, $"{at}.template", variant.Template, channel, limits, trackedLinkPrefix);
            foreach (var (language, template) in variant.Translations ?? new Dictionary<string, string>())
            {
                if (!LanguagePattern().IsMatch(language))
                {
                    errors.Add($"{at}.translations", $"{at}.translations: '{language}' is not a language (2 or 3 lowercase letters: en, sw, fr)");
                }
                CampaignRules.CheckTemplate(errors, TranslationField(i, language), template, channel, limits, trackedLinkPrefix);
            }
        }
        if (errors.Count > before)
        {
            return null;
        }
        return [.. variants.Select(v => new VariantContent(v.Key!, v.Template!, v.Weight!.Value,
            v.Translations is { Count: > 0 } translations ? translations : null))];
    }

    /// <summary>
    /// The field of the <paramref name="index"/>th variant's translation into <paramref name="language"/>:
    /// <c>variants[1].translations.fr</c>.
    /// </summary>
    public static string TranslationField(int index, string language) => $"variants[{index}].translations.{language}";

    /// <summary>A stored variant as a request would give it (to check it again under a changed channel or tracking).</summary>
    public static VariantRequest AsRequest(VariantContent variant) =>
        new(variant.Key, variant.Template, variant.Weight, variant.Translations);

    /// <returns>The test as stored (its duration in the shortest form), or null when absent or invalid.</returns>
    public static AbTest? CheckAbTest(ValidationErrors errors, AbTestRequest? test, bool hasVariants)
    {
        const string field = "ab_test";
        if (test is null)
        {
            return null;
        }
        var before = errors.Count;
        if (!hasVariants)
        {
            errors.Add(field, $"{field} needs variants: it picks one of them");
        }
        if (test.SamplePercent is not (>= MinSamplePercent and <= MaxSamplePercent))
        {
            errors.Add($"{field}.sample_percent", $"{field}.sample_percent is required: a whole number from {MinSamplePercent} to {MaxSamplePercent}");
        }
        if (test.Metric is null || !AbTestMetric.All.Contains(test.Metric))
        {
            errors.Add($"{field}.metric", $"{field}.metric is required: one of {string.Join(", ", AbTestMetric.All)}");
        }
        TimeSpan decideAfter = default;
        if (!IsoDuration.TryParse(test.DecideAfter, out decideAfter) || decideAfter < MinDecideAfter || decideAfter > MaxDecideAfter)
        {
            errors.Add($"{field}.decide_after",
                $"{field}.decide_after is required: an ISO 8601 duration from {IsoDuration.Format(MinDecideAfter)} to {IsoDuration.Format(MaxDecideAfter)} (PT2H)");
        }
        return errors.Count > before ? null : new AbTest(test.SamplePercent!.Value, test.Metric!, IsoDuration.Format(decideAfter));
    }
}
