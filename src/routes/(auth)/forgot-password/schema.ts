import { z } from 'zod';
import { emailField } from '../../../lib/schemas';

export const forgotPasswordSchema = z.object({ email: emailField });
