/**
 * The upgrade-database wizard: choose where the catalog lives (the planner's recommendation
 * preselected), check disk and time, confirm, watch the move, see how it ended; then roll
 * back or remove the previous store. A move already running (started here, elsewhere or by the
 * manager) is shown as step 4 whenever the screen opens; an interrupted one offers resume or discard.
 */
import { Button, MessageBar, MessageBarBody, MessageBarTitle, Skeleton, SkeletonItem, Text } from '@fluentui/react-components';
import { ArrowLeft20Regular, ArrowRight20Regular, DatabaseArrowUp20Regular } from '@fluentui/react-icons';
import { useEffect, useMemo, useState } from 'react';
import { formatBytes, formatCount } from '../../../../shared/format';
import { ErrorMessage } from '../../errors/ErrorMessage';
import { useManagerPlan, useMoveOutcome, useMoveProgress, usePreflight, useStartMove } from '../../hooks/database';
import { useManagerStatus } from '../../hooks/manager';
import { ChooseTarget, type Choice } from './ChooseTarget';
import { ConfirmStep } from './ConfirmStep';
import { InterruptedMove } from './InterruptedMove';
import { PreflightStep } from './PreflightStep';
import { PreviousStore } from './PreviousStore';
import { ProgressStep } from './ProgressStep';
import { ResultStep } from './ResultStep';
import { WizardSteps, type WizardStep } from './WizardSteps';
import { formatEstimate } from './move-progress';
import { TIER_OPTIONS, availability, describeStore, initialOption, nextTierUp, requestFor, type AvailabilityInput } from './tier-options';
import { useWizardStyles } from './wizard-styles';

export function WizardScreen() {
  const w = useWizardStyles();
  const status = useManagerStatus();
  const plan = useManagerPlan();
  const progress = useMoveProgress(status.data?.move ?? null);
  const [outcome, setOutcome] = useMoveOutcome();
  const start = useStartMove();
  const [step, setStep] = useState<'choose' | 'preflight' | 'confirm'>('choose');
  const [choice, setChoice] = useState<Choice | null>(null);

  const s = status.data;
  const input = plan.data?.input;
  const availabilityInput = useMemo<AvailabilityInput | null>(
    () =>
      s && input
        ? { store: s.store, moving: s.activity !== 'idle', portableServerAvailable: input.portableServerAvailable, recommendation: plan.data?.recommendation ?? s.recommendation }
        : null,
    [s, input, plan.data?.recommendation],
  );
  useEffect(() => {
    if (choice || !availabilityInput || !input) return;
    const rec = plan.data?.recommendation.target;
    const shards = rec?.engine === 'sharded' && rec.shards ? rec.shards : input.engine === 'sharded' && input.shards ? input.shards * 2 : Math.min(16, Math.max(2, input.cores * 2));
    setChoice({ option: initialOption(availabilityInput), shards, url: '', verdict: null });
  }, [choice, availabilityInput, input, plan.data?.recommendation.target]);

  const request = choice ? requestFor(choice.option, choice) : null;
  const preflight = usePreflight(step !== 'choose' && request ? request : null);

  const moving = (s !== undefined && s.activity !== 'idle') || (outcome !== null && outcome.result === null && outcome.error === null);
  const shown: WizardStep = moving ? 'progress' : outcome ? 'result' : step;

  if (status.error) return <div className={w.page}><ErrorMessage error={status.error} onRetry={() => void status.refetch()} /></div>;
  if (!s || !input || !choice || !availabilityInput) {
    return (
      <div className={w.page}>
        <Skeleton aria-label="Reading the catalog’s tier">
          <SkeletonItem size={32} />
          <SkeletonItem size={128} />
          <SkeletonItem size={128} />
        </Skeleton>
      </div>
    );
  }

  const rec = plan.data?.recommendation ?? null;
  // The planner says stay, yet the user came here to upgrade: the next tier up is what is selected, said so.
  const up = rec?.action === 'stay' ? nextTierUp(availabilityInput) : null;
  const upTitle = up ? TIER_OPTIONS.find((o) => o.id === up)?.title : null;
  const option = TIER_OPTIONS.find((o) => o.id === choice.option)!;
  const chosenDisabled = availability(choice.option, availabilityInput).disabledReason !== null;
  const needsVerdict = choice.option === 'existing' && !choice.verdict?.ok;
  const target = request ? describeStore({ engine: request.to, server: choice.option === 'existing' ? 'existing' : choice.option === 'portable' ? 'portable' : null, ...(request.shards ? { shards: request.shards } : {}) }) : '';
  const here = describeStore({ ...s.store, ...(input.shards ? { shards: input.shards } : {}) });

  return (
    <div className={w.page}>
      <header className={w.header}>
        <Text className={w.heading} as="h1" size={600} weight="semibold">
          Upgrade database
        </Text>
        <Text className={w.muted}>
          The catalog is on {here}: {formatCount(input.segments)} segments, {formatCount(input.files)} files, {formatBytes(input.dbBytes)} on disk.
        </Text>
      </header>
      <WizardSteps current={shown} />

      {s.interrupted && !moving && !outcome && <InterruptedMove interrupted={s.interrupted} shards={input.shards} />}

      {shown === 'choose' && (
        <>
          {rec && (
            <MessageBar intent={rec.action === 'stay' ? 'success' : 'info'} layout="multiline">
              <MessageBarBody>
                <MessageBarTitle>
                  {rec.action === 'stay' ? 'The planner recommends staying where you are' : `The planner recommends ${rec.action === 'reshard' ? 're-sharding to' : 'moving to'} ${rec.target ? describeStore(rec.target) : ''}`}
                </MessageBarTitle>
                {rec.reasons.join(' ')}
                {rec.estimate ? ` Estimated: ${formatEstimate(rec.estimate.ms)}, ${formatBytes(rec.estimate.diskBytes)} of disk.` : ''}
                {rec.blockedBy ? ` It cannot start now: it ${rec.blockedBy}.` : ''}
                {upTitle ? ` To move anyway, ${upTitle} is the next tier up and is selected below.` : ''}
              </MessageBarBody>
            </MessageBar>
          )}
          <section className={w.section} aria-labelledby="choose-title">
            <Text className={w.heading} as="h2" id="choose-title" size={400} weight="semibold">
              Where should the catalog live?
            </Text>
            <ChooseTarget choice={choice} onChange={setChoice} input={availabilityInput} currentShards={input.shards} />
            <div className={w.actions}>
              <span className={w.spacer} />
              {needsVerdict && !chosenDisabled && <Text className={w.muted}>Test the connection first.</Text>}
              <Button appearance="primary" icon={<ArrowRight20Regular />} iconPosition="after" disabled={chosenDisabled || needsVerdict} onClick={() => setStep('preflight')}>
                Next: check space and time
              </Button>
            </div>
          </section>
        </>
      )}

      {shown === 'preflight' && (
        <section className={w.section} aria-labelledby="preflight-title">
          <Text className={w.heading} as="h2" id="preflight-title" size={400} weight="semibold">
            {option.title}: space and time
          </Text>
          <PreflightStep preflight={preflight.data} error={preflight.error} loading={preflight.isFetching && !preflight.data} onRetry={() => void preflight.refetch()} />
          <div className={w.actions}>
            <Button icon={<ArrowLeft20Regular />} onClick={() => setStep('choose')}>
              Back
            </Button>
            <span className={w.spacer} />
            <Button appearance="primary" icon={<ArrowRight20Regular />} iconPosition="after" disabled={!preflight.data || preflight.data.refusal !== null} onClick={() => setStep('confirm')}>
              Next: confirm
            </Button>
          </div>
        </section>
      )}

      {shown === 'confirm' && request && (
        <section className={w.section} aria-labelledby="confirm-title">
          <Text className={w.heading} as="h2" id="confirm-title" size={400} weight="semibold">
            Confirm the move
          </Text>
          <ConfirmStep from={here} to={target} preflight={preflight.data} />
          <div className={w.actions}>
            <Button icon={<ArrowLeft20Regular />} onClick={() => setStep('preflight')}>
              Back
            </Button>
            <span className={w.spacer} />
            <Button appearance="primary" icon={<DatabaseArrowUp20Regular />} onClick={() => start(request)}>
              Start the move
            </Button>
          </div>
        </section>
      )}

      {shown === 'progress' && (
        <section className={w.section} aria-labelledby="progress-title">
          <Text className={w.heading} as="h2" id="progress-title" size={400} weight="semibold">
            {progress ? (progress.kind === 'reshard' ? 'Re-sharding the catalog' : `Moving the catalog to ${describeStore(progress.to)}`) : 'Starting the move…'}
            {progress?.automatic ? ' (started automatically)' : ''}
          </Text>
          {progress ? <ProgressStep progress={progress} /> : <Skeleton aria-label="Starting"><SkeletonItem size={24} /></Skeleton>}
        </section>
      )}

      {shown === 'result' && outcome && (
        <section className={w.section} aria-labelledby="result-title">
          <Text className={w.heading} as="h2" id="result-title" size={400} weight="semibold">
            {outcome.error ? (outcome.error.code === 'cancelled' ? 'The move is paused' : 'The move did not complete') : 'The move is done'}
          </Text>
          <ResultStep outcome={outcome} />
          {outcome.error && s.interrupted && <InterruptedMove interrupted={s.interrupted} shards={input.shards} />}
          <div className={w.actions}>
            <span className={w.spacer} />
            <Button
              appearance="primary"
              onClick={() => {
                setOutcome(null);
                setStep('choose');
                setChoice(null);
              }}
            >
              Done
            </Button>
          </div>
        </section>
      )}

      {!moving && s.previous && (shown === 'choose' || shown === 'result') && <PreviousStore status={s} />}
    </div>
  );
}
