using System.Text;

namespace Campaigns.Api.Validation;

/// <summary>
/// Rules every stored text obeys: lengths in Unicode code points, and nothing Postgres cannot store
/// (NUL, unpaired surrogates), so a hostile string is refused with a 400 instead of failing in the database.
/// </summary>
public static class TextRules
{
    public static bool IsBlank(string? value) => string.IsNullOrWhiteSpace(value);

    public static int CodePoints(string value)
    {
        var count = 0;
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            count++;
        }
        return count;
    }

    /// <summary>Null when the text can be stored as is, else why not.</summary>
    public static string? Unstorable(string value)
    {
        if (value.Contains('\0'))
        {
            return "must not contain NUL characters";
        }
        for (var i = 0; i < value.Length; i++)
        {
            if (!Rune.TryGetRuneAt(value, i, out var rune))
            {
                return "must not contain unpaired UTF-16 surrogates";
            }
            i += rune.Utf16SequenceLength - 1;
        }
        return null;
    }

    /// <summary>Null when an optional text is storable and at most <paramref name="maxLength"/> code points, else why not.</summary>
    public static string? Problem(string field, string? value, int maxLength) =>
        value is null ? null
        : Unstorable(value) is { } problem ? $"{field} {problem}"
        : CodePoints(value) > maxLength ? $"{field} must be at most {maxLength} characters"
        : null;

    public static void CheckOptional(ValidationErrors errors, string field, string? value, int maxLength)
    {
        if (Problem(field, value, maxLength) is { } problem)
        {
            errors.Add(field, problem);
        }
    }

    /// <summary>Checks a required text: present, not blank, storable, 1..max code points.</summary>
    public static void CheckRequired(ValidationErrors errors, string field, string? value, int maxLength)
    {
        if (IsBlank(value))
        {
            errors.Add(field, $"{field} is required and must not be blank");
            return;
        }
        CheckOptional(errors, field, value, maxLength);
    }
}
