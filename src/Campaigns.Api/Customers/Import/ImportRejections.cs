using Campaigns.Api.Contracts;

namespace Campaigns.Api.Customers.Import;

/// <summary>
/// The rejected rows an import answers with. Every one is counted (so <c>received − created − updated</c> is
/// exact), the first <see cref="MaxListed"/> are listed, and each listed phone is echoed as sent up to
/// <see cref="PhoneNormalizer.MaxInputLength"/> characters, a longer one cut there with an ellipsis: the answer
/// stays small whatever the body holds.
/// </summary>
public sealed class ImportRejections
{
    public const int MaxListed = 1_000;

    private const string Ellipsis = "…";

    private readonly List<ImportRejection> _listed = [];

    public int Count { get; private set; }

    public IReadOnlyList<ImportRejection> Listed => _listed;

    public void Add(int row, string? phone, string error)
    {
        Count++;
        if (_listed.Count < MaxListed)
        {
            _listed.Add(new ImportRejection(row, Echo(phone), error));
        }
    }

    /// <summary>The phone as sent ("" when absent); past the longest a phone may be written, cut (never inside a surrogate pair).</summary>
    public static string Echo(string? phone)
    {
        if (phone is null)
        {
            return "";
        }
        if (phone.Length <= PhoneNormalizer.MaxInputLength)
        {
            return phone;
        }
        var cut = PhoneNormalizer.MaxInputLength;
        if (char.IsHighSurrogate(phone[cut - 1]))
        {
            cut--;
        }
        return string.Concat(phone.AsSpan(0, cut), Ellipsis);
    }
}
