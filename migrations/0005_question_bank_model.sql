CREATE TABLE "generated_tests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"owner_id" uuid NOT NULL,
	"title" text NOT NULL,
	"spec" jsonb NOT NULL,
	"variants" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "questions" ADD COLUMN "name" text;--> statement-breakpoint
ALTER TABLE "questions" ADD COLUMN "parts" jsonb;--> statement-breakpoint
ALTER TABLE "questions" ADD COLUMN "scoring" jsonb;--> statement-breakpoint
ALTER TABLE "questions" ADD COLUMN "shuffle" boolean;--> statement-breakpoint
ALTER TABLE "questions" ADD COLUMN "case_sensitive" boolean;--> statement-breakpoint
ALTER TABLE "questions" ADD COLUMN "assets" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "questions" ADD COLUMN "search_text" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "generated_tests" ADD CONSTRAINT "generated_tests_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;