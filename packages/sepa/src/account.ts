import { z } from 'zod';
import { bsn, caseDate, householdIdSchema } from '@bijstand/domain';
import { isSepaText, MAX_NAME_LENGTH } from './charset.js';
import { checkIban } from './iban.js';

/** A member's payment account, from the benefit administration as a case event (Pw art. 45: paid to the member). */
export const PAYMENT_ACCOUNT_RECORDED = 'PaymentAccountRecorded';

/**
 * `PaymentAccountRecorded {householdId, bsn, iban, holder, from}`: the account a member's share is paid to
 * from `from` on. A later one (by `from`, then by recording) replaces it. Rejections name the field and the
 * rule, never the IBAN itself.
 */
export const paymentAccountRecordedSchema = z
  .object({
    type: z.literal(PAYMENT_ACCOUNT_RECORDED),
    householdId: householdIdSchema,
    bsn,
    iban: z.string().transform((raw, ctx) => {
      const checked = checkIban(raw);
      if (checked.ok) return checked.iban;
      ctx.addIssue({ code: 'custom', message: `${checked.reason} (SEPA, ISO 13616)` });
      return z.NEVER;
    }),
    holder: z
      .string()
      .trim()
      .min(1, 'must name the account holder')
      .max(MAX_NAME_LENGTH, `at most ${MAX_NAME_LENGTH} characters (EPC SCT guidelines, AT-E001)`)
      .refine(isSepaText, {
        message:
          "only the SEPA character set: letters a-z A-Z, digits and / - ? : ( ) . , ' + space (EPC SCT guidelines)",
      }),
    from: caseDate,
  })
  .strict();

export type PaymentAccountRecorded = z.output<typeof paymentAccountRecordedSchema>;
