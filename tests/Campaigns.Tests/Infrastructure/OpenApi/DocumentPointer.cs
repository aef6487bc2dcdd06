using Microsoft.OpenApi;

namespace Campaigns.Tests.Infrastructure.OpenApi;

/// <summary>
/// Where an element of the document sits, as a JSON pointer in URI-fragment form: the schemas are
/// evaluated where they are written in the document text, so nothing is lost in a round trip.
/// </summary>
internal static class DocumentPointer
{
    public static string Append(string pointer, string segment) =>
        pointer + "/" + Uri.EscapeDataString(segment.Replace("~", "~0").Replace("/", "~1"));

    public static string Append(string pointer, params string[] segments) =>
        segments.Aggregate(pointer, Append);

    /// <summary>A <c>$ref</c>'d element lives at its target, not where the reference is written.</summary>
    public static string Locate(object element, string writtenAt) =>
        element is IOpenApiReferenceHolder<OpenApiReferenceWithDescription> { Reference.ReferenceV3: ['#', .. var target] }
            ? target
            : writtenAt;
}
