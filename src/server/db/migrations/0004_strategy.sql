CREATE TABLE "strategy_overrides" (
	"org_id" uuid NOT NULL,
	"step" integer NOT NULL,
	"level" integer NOT NULL,
	"justification" text NOT NULL,
	"by_user_id" uuid,
	"by_name" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "strategy_overrides_org_id_step_pk" PRIMARY KEY("org_id","step"),
	CONSTRAINT "strategy_overrides_step_check" CHECK ("strategy_overrides"."step" between 1 and 7),
	CONSTRAINT "strategy_overrides_level_check" CHECK ("strategy_overrides"."level" between 1 and 5)
);
--> statement-breakpoint
CREATE TABLE "strategy_snapshots" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"taken_at" timestamp with time zone DEFAULT now() NOT NULL,
	"quarter" text NOT NULL,
	"trigger" text NOT NULL,
	"taken_by" text NOT NULL,
	"steps" jsonb NOT NULL,
	"indicators" jsonb NOT NULL
);
--> statement-breakpoint
ALTER TABLE "treatment_actions" ADD COLUMN "objective_ids" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "strategy_overrides" ADD CONSTRAINT "strategy_overrides_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "strategy_snapshots" ADD CONSTRAINT "strategy_snapshots_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "strategy_snapshots_org_idx" ON "strategy_snapshots" USING btree ("org_id","taken_at");