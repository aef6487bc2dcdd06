using System.ComponentModel.DataAnnotations;
using Campaigns.Core.Links;

namespace Campaigns.Worker.Options;

/// <summary>
/// <c>Links:BaseUrl</c>, the API's public origin of <c>GET /l/{code}</c>: the worker shortens the links of an A/B test's
/// rest (rendered when the winner is decided) exactly as the API's send does.
/// </summary>
public sealed class ShortLinkOptions
{
    public const string SectionName = "Links";

    [Required, Url]
    public string BaseUrl { get; set; } = "http://localhost:5180";

    public string Prefix => TrackedLinks.PrefixOf(BaseUrl);
}
