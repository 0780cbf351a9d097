import { z } from 'zod';
import { NO_CONTROL_CHARACTERS } from '../patterns';

export const emailSchema = z
  .string({ error: 'email must be a string' })
  .trim()
  .toLowerCase()
  .pipe(z.email({ error: 'email must be a valid email address' }).max(254, 'email is too long'));

export const passwordSchema = z
  .string({ error: 'password must be a string' })
  .min(8, 'password must be at least 8 characters')
  .max(200, 'password must be at most 200 characters');

export const signUpInput = z.object({
  email: emailSchema,
  password: passwordSchema,
  name: z
    .string({ error: 'name must be a string' })
    .trim()
    .min(1, 'name must not be empty')
    .max(50, 'name must be at most 50 characters')
    .regex(NO_CONTROL_CHARACTERS, 'name must not contain control characters'),
});

export const signInInput = z.object({
  email: emailSchema,
  password: z.string({ error: 'password must be a string' }).min(1, 'password must not be empty').max(200),
});

export const userOutput = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  createdAt: z.date(),
});

export const sessionOutput = z.object({ user: userOutput, token: z.string() });
