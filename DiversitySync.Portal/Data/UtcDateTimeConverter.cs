using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace DiversitySync.Portal.Data;

/// <summary>Stores UTC and reads back DateTimeKind.Utc, so "Z" survives a round trip through SQLite.</summary>
public sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
    value => value.Kind == DateTimeKind.Utc ? value : value.ToUniversalTime(),
    value => DateTime.SpecifyKind(value, DateTimeKind.Utc));
