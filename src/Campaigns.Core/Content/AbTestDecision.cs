namespace Campaigns.Core.Content;

/// <summary>
/// The A/B test's rule (api.md, "Variants, links and languages"): the variant with the highest metric count divided by its
/// sample size wins; ties go to the lowest key (ordinal). A variant with no sample scores zero. Rates are compared
/// exactly (cross-multiplied), never as floating point.
/// </summary>
public static class AbTestDecision
{
    /// <summary>One variant's sample: its size and its metric's count.</summary>
    public readonly record struct Score(int Sample, int Count);

    public static string Winner(IReadOnlyList<VariantContent> variants, IReadOnlyDictionary<string, Score> scores)
    {
        ArgumentOutOfRangeException.ThrowIfZero(variants.Count);
        string? best = null;
        Score bestScore = default;
        foreach (var key in variants.Select(v => v.Key).Order(StringComparer.Ordinal))
        {
            var score = scores.TryGetValue(key, out var s) && s.Sample > 0 ? s : new Score(1, 0);
            // score / sample > best / bestSample, in whole numbers; the first (lowest key) keeps a tie.
            if (best is null || (long)score.Count * bestScore.Sample > (long)bestScore.Count * score.Sample)
            {
                best = key;
                bestScore = score;
            }
        }
        return best!;
    }
}
