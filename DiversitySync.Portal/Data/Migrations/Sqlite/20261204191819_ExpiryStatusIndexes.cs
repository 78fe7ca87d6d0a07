using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DiversitySync.Portal.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ExpiryStatusIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ApiKeys_ExpiresAt_KeyId_RevokedAt",
                table: "ApiKeys");

            migrationBuilder.DropIndex(
                name: "IX_ApiKeys_Replaced",
                table: "ApiKeys");

            migrationBuilder.CreateIndex(
                name: "IX_ApiKeys_ExpiresAt_RevokedAt_CreatedAt_KeyId",
                table: "ApiKeys",
                columns: new[] { "ExpiresAt", "RevokedAt", "CreatedAt", "KeyId" });

            migrationBuilder.CreateIndex(
                name: "IX_ApiKeys_Replaced",
                table: "ApiKeys",
                columns: new[] { "CreatedAt", "KeyId" },
                filter: "\"ReplacedByKeyId\" IS NOT NULL AND \"RevokedAt\" IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_ApiKeys_Unreplaced_Expiry",
                table: "ApiKeys",
                columns: new[] { "ExpiresAt", "CreatedAt", "KeyId" },
                filter: "\"RevokedAt\" IS NULL AND \"ReplacedByKeyId\" IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ApiKeys_ExpiresAt_RevokedAt_CreatedAt_KeyId",
                table: "ApiKeys");

            migrationBuilder.DropIndex(
                name: "IX_ApiKeys_Replaced",
                table: "ApiKeys");

            migrationBuilder.DropIndex(
                name: "IX_ApiKeys_Unreplaced_Expiry",
                table: "ApiKeys");

            migrationBuilder.CreateIndex(
                name: "IX_ApiKeys_ExpiresAt_KeyId_RevokedAt",
                table: "ApiKeys",
                columns: new[] { "ExpiresAt", "KeyId", "RevokedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_ApiKeys_Replaced",
                table: "ApiKeys",
                columns: new[] { "CreatedAt", "KeyId" },
                filter: "\"ReplacedByKeyId\" IS NOT NULL");
        }
    }
}
