// The public API of rmr1: `import {...} from "rmr1"`. Every capability is exported from here;
// the CLI (src/cli/) is a thin layer over these exports.

export * from "./errors.js";
export * from "./protocol/types.js";
export * from "./protocol/rng.js";
// protocol
export {
    RM_R1_INSTRUCT_SYSTEM_PROMPT, RM_R1_SINGLE_TURN_INSTRUCT_USER_PROMPT, RM_R1_MULTI_TURN_INSTRUCT_USER_PROMPT,
    RM_R1_SINGLE_TURN_REASONING_USER_PROMPT, RM_R1_MULTI_TURN_REASONING_USER_PROMPT, PASS2_HINT_SUFFIX_A, PASS2_HINT_SUFFIX_B,
    PASS2_PREVIOUS_JUDGEMENT_PREFIX, pass2HintText
} from "./protocol/templates.js";
export {profileNames, isProfileName, getProfile, TINY_SYSTEM_PROMPT, TINY_SINGLE_TURN_USER_PROMPT, TINY_MULTI_TURN_USER_PROMPT} from "./protocol/profiles.js";
export type {ProfileName, PromptProfile} from "./protocol/profiles.js";
export {renderPair, renderComparison, pairConversations, fillTemplate} from "./protocol/renderPair.js";
export type {RenderOptions, RenderedPair} from "./protocol/renderPair.js";
export {rlReward, evalVerdict, distillCorrect, tailCodePoints, isWinnerLabel} from "./protocol/extractors.js";
export {parseCor, parseRubricItems} from "./protocol/parseCor.js";
export type {CorResult, CorCitation, CorRubricItem} from "./protocol/parseCor.js";
export {computeReward, rewardNames, isRewardName} from "./protocol/rewards.js";
export type {RewardName} from "./protocol/rewards.js";
export * from "./engines/Engine.js";
// engines
export {createEngine, registerEngineProvider, engineProviders} from "./engines/createEngine.js";
export type {EngineOptions, EngineFactory} from "./engines/createEngine.js";
export {OpenAIEngine, openAIDefaultBaseUrl} from "./engines/openai/OpenAIEngine.js";
export type {OpenAIEngineOptions} from "./engines/openai/OpenAIEngine.js";
export {toOpenAIChatBody, parseOpenAIChatCompletion} from "./engines/openai/openaiChat.js";
export type {OpenAIChatBodyOptions} from "./engines/openai/openaiChat.js";
export {AnthropicEngine, anthropicDefaultBaseUrl} from "./engines/anthropic/AnthropicEngine.js";
export type {AnthropicEngineOptions} from "./engines/anthropic/AnthropicEngine.js";
export {toAnthropicMessagesBody, parseAnthropicMessage, anthropicDefaultMaxTokens} from "./engines/anthropic/anthropicMessages.js";
export type {AnthropicMessagesBodyOptions} from "./engines/anthropic/anthropicMessages.js";
export {fanOutRequest, fanOutSeed, mergeParsed} from "./engines/fanOut.js";
export type {ParsedChat} from "./engines/fanOut.js";
export type {HttpOptions} from "./engines/http/JsonHttpClient.js";
export {defaultPrices, defaultPricesAsOf, priceOf, costUsd} from "./engines/prices.js";
export type {ModelPrice, PriceTable} from "./engines/prices.js";
export {ResponseCache, defaultCachePath, isCacheableResult} from "./engines/cache/ResponseCache.js";
export type {ResponseCacheOptions, ResponseCacheInfo} from "./engines/cache/ResponseCache.js";
export {withCache} from "./engines/cache/withCache.js";
export type {WithCacheOptions} from "./engines/cache/withCache.js";
export {requestKey, isDeterministicRequest} from "./engines/cache/requestKey.js";
export {validateRequests} from "./engines/validateRequests.js";
export * from "./data/jsonl.js";
export * from "./data/RunDir.js";
// data
export {readParquet, parquetRowCount, parquetColumns, writeParquet, ParquetRowWriter, inferParquetSchema, parquetSchemaElements} from "./data/parquet.js";
export type {ReadParquetOptions, ParquetField, ParquetSchema, ParquetWriteCodec, ParquetWriteOptions} from "./data/parquet.js";
export {readJsonRows, JsonArrayWriter} from "./data/json.js";
export type {JsonRow, JsonArrayWriterOptions, ReadJsonRowsOptions} from "./data/json.js";
export {formatOf, dataFormats, resolveSource, readFileRows, readRows, countRows, openRowWriter, writeRows} from "./data/rows.js";
export type {DataFormat, SourceRow, ReadRowsOptions, RowWriter, RowWriterOptions} from "./data/rows.js";
export {isHubUri, parseHubUri, hubDownload, hubListFiles, hubRepoCacheDir, resolveHubSource, HubError} from "./data/hub.js";
export type {HubOptions, HubLocation, HubRepoType, HubFile, HubSourceOptions} from "./data/hub.js";
export {toMessages, pairFromConversations} from "./data/PreferenceRecord.js";
export type {PreferenceRecord} from "./data/PreferenceRecord.js";
export {recordShapes, isRecordShape, detectShape, convertRow, rmBenchStyles} from "./data/converters.js";
export type {RecordShape, ConvertContext} from "./data/converters.js";
export {readRecords, readLocatedRecords} from "./data/readRecords.js";
export type {ReadRecordsOptions, LocatedRecord} from "./data/readRecords.js";
export {BadRows} from "./data/BadRows.js";
export type {BadRowExample, BadRowsOptions} from "./data/BadRows.js";
export {numpyPermutation, SeedSequence, Pcg64} from "./data/numpyRandom.js";
export {buildMix, parseMixConfig, loadMixConfig, rmR1MixConfig, rmR1MixSources, passesFilters, mixSchema} from "./data/mix.js";
export type {MixConfig, MixSource, MixFilter, MixOrder, MixRow, MixReport, BuildMixOptions} from "./data/mix.js";
export {exportDataset, exportFormats, verlSchema} from "./data/exportDataset.js";
export type {ExportFormat, ExportOptions, ExportReport} from "./data/exportDataset.js";
// judge
export {Judge} from "./judge/Judge.js";
export type {JudgeOptions, JudgeCallOptions} from "./judge/Judge.js";
export type {Judgment, JudgmentPass, JudgeOutput, JudgeSettings, Preference} from "./judge/Judgment.js";
export {orderPolicies, isOrderPolicy, passPositions, tieFallbacks} from "./judge/orderPolicy.js";
export type {OrderPolicy, TieFallback} from "./judge/orderPolicy.js";
export {majorityVote} from "./judge/majorityVote.js";
export type {SampleVerdict, VotedVerdict, VoteCount} from "./judge/majorityVote.js";
export {verdictProbability} from "./judge/verdictProbability.js";
export {parseJudgeInput, parseRankInput, contentId, isLabelled, candidateMessages} from "./judge/judgeInput.js";
export type {JudgeInput, LabelledPair, UnlabelledPair, RankInput} from "./judge/judgeInput.js";
export type {MatchResult, MatchScore, Comparison, CompareFn} from "./judge/MatchResult.js";
export {knockout} from "./judge/knockout.js";
export type {KnockoutOptions, KnockoutMatch, KnockoutResult} from "./judge/knockout.js";
export {roundRobin} from "./judge/roundRobin.js";
export type {RoundRobinOptions, PlayedMatch} from "./judge/roundRobin.js";
export {eloRatings} from "./judge/eloRatings.js";
export type {EloOptions} from "./judge/eloRatings.js";
export {bradleyTerry} from "./judge/bradleyTerry.js";
export type {BradleyTerryOptions, BradleyTerryResult} from "./judge/bradleyTerry.js";
export {winRates} from "./judge/winRates.js";
export type {WinRate} from "./judge/winRates.js";
export {rankCandidates, bestOfN, rankMethods, isRankMethod} from "./judge/rankCandidates.js";
export type {RankMethod, RankOptions, Ranking, RankComparison} from "./judge/rankCandidates.js";
export {referenceReward, groupRewards, rewardFromJudgment, rewardsFromMatches} from "./judge/judgeRewards.js";
export type {ReferenceRewardMode, ReferenceRewardOptions, GroupRewardMethod, GroupRewardOptions} from "./judge/judgeRewards.js";
export {runJsonlJob} from "./judge/runJsonlJob.js";
export type {JsonlJobOptions, JsonlJobResult, JobProgress, JobItems} from "./judge/runJsonlJob.js";
export {judgeFile, summaryPath} from "./judge/judgeFile.js";
export type {JudgeFileOptions, JudgeFileResult} from "./judge/judgeFile.js";
export {rankFile} from "./judge/rankFile.js";
export type {RankFileOptions, RankFileResult} from "./judge/rankFile.js";
export {JudgmentStats, summarizeJudgments} from "./judge/JudgmentStats.js";
export type {JudgeSummary} from "./judge/JudgmentStats.js";
// world
export {listCategories, worldWords, categoryOf} from "./world/words.js";
export type {ListCategory} from "./world/words.js";
export {
    formatExpression, parseExpression, formatArithQuestion, parseArithQuestion, evaluationSteps, evaluateExpression, formatStep,
    formatArithReply, arithAnswerText, parseArithAnswer
} from "./world/arith.js";
export type {ArithOp, Expression, ArithStep, EvaluationOrder} from "./world/arith.js";
export {arithMistakeKinds, availableMistakeKinds, arithMistake} from "./world/arithMistakes.js";
export type {ArithMistakeKind, ArithMistake} from "./world/arithMistakes.js";
export {listCases, listSeparators, listViolationKinds, formatListQuestion, parseListQuestion, checkList, validList, listViolation} from "./world/lists.js";
export type {ListCase, ListSeparator, ListSpec, ListViolationKind, ListCheck, ListViolation} from "./world/lists.js";
export {worldLevels, worldFamilies, levelSpecs, randomExpression, randomListSpec, randomQuestion} from "./world/levels.js";
export type {WorldLevel, WorldFamily, LevelSpec} from "./world/levels.js";
export {worldSplits, WORLD_SPLIT, questionSplit, hashSplit, recordPromptText, splitByPrompt} from "./world/splits.js";
export type {WorldSplit, SplitOptions} from "./world/splits.js";
export {generateWorldPairs, worldPair} from "./world/generateWorld.js";
export type {WorldPair, WorldPairMeta, GenerateWorldOptions} from "./world/generateWorld.js";
export {parseWorldQuestion, judgeWorldPair, writeWorldTrace, reasoningTrace, chatTrace, reportText, LIST_RUBRIC} from "./world/worldTrace.js";
export type {WorldJudgeInput, WorldQuestion, WorldJudgement, ListReport} from "./world/worldTrace.js";
export {parseJudgePrompt} from "./world/parseJudgePrompt.js";
export type {JudgePrompt} from "./world/parseJudgePrompt.js";
export {WorldTeacher, WORLD_TRACE_VERSION, parseTeacherSpec} from "./world/WorldTeacher.js";
export type {WorldTeacherOptions} from "./world/WorldTeacher.js";
export {policyTasks, DEFAULT_POLICY_TASKS, DEFAULT_POLICY_LEVELS, DEFAULT_CHECK_WRONG, generatePolicyData} from "./world/policyData.js";
export type {PolicyTask, PolicyExample, PolicyDataOptions} from "./world/policyData.js";
export {scorePolicyReply, policyAccuracy} from "./world/policyAccuracy.js";
export type {PolicyScore, PolicyAccuracyRow} from "./world/policyAccuracy.js";
export {worldAccuracy, worldAccuracyTable, formatWorldAccuracy, balancedOrders} from "./world/worldAccuracy.js";
export type {WorldJudgedItem, WorldStratumKey, WorldAccuracyRow} from "./world/worldAccuracy.js";
export {measureWorldLengths, formatWorldLengths} from "./world/worldLengths.js";
export type {LengthStats, WorldLengthRow, WorldLengthOptions} from "./world/worldLengths.js";
export {pretrainPolicy, pretrainReport, BASE_MODEL_CONFIG, DEFAULT_PRETRAIN} from "./world/pretrainPolicy.js";
export type {PretrainOptions, PretrainResult, PretrainHyperParams} from "./world/pretrainPolicy.js";
export {evaluatePolicy, policyQuestions, formatPolicyAccuracy} from "./world/evaluatePolicy.js";
export type {EvaluatePolicyOptions, PolicySample, PolicyEvaluation} from "./world/evaluatePolicy.js";
// bench
export {
    benchmarkNames, isBenchmarkName, rewardBenchSectionNames, rewardBenchSections, rewardBenchSubsets, REWARDBENCH_ROWS,
    rewardBenchSectionOf, rewardBenchSubsetRows, rmBenchStyleNames, rmBenchDomains, rmBenchFileDomains, rmBenchDomainPrompts,
    rmBenchFileDomainPrompts, rmBenchDomainOf, rmBenchRotation, rmBenchRejectedStyle, rmbGoals, rmbSectionNames, rmbSectionSizes,
    rmbSetDirs, rmbSection, rmbScenarios, parseRmbCategoryPath
} from "./bench/constants.js";
export type {BenchmarkName, RewardBenchSection, RmBenchStyle, RmBenchDomain, RmbKind, RmbGoal, RmbSection} from "./bench/constants.js";
export type {BenchComparison, RewardBenchComparison, RmBenchComparison, RmbComparison, BenchmarkData, LoadBenchmarkOptions} from "./bench/types.js";
export {benchmarkHubSources, sharedBenchmarkDir, defaultBenchmarkSource} from "./bench/benchmarkSource.js";
export {loadBenchmark} from "./bench/loadBenchmark.js";
export {loadRewardBench} from "./bench/loadRewardBench.js";
export {loadRmBench} from "./bench/loadRmBench.js";
export {loadRmb} from "./bench/loadRmb.js";
export {
    errorRules, rmBenchMappings, parseSample, readSamples, sampleOutcome, verdictOutcome, comparisonSampleFields, summarizeSamples
} from "./bench/samples.js";
export type {
    ErrorRule, RmBenchMapping, ScoreOptions, Outcome, RecordedVerdict, BenchSample, RewardBenchSample, RmBenchSample, RmbSample,
    ReadSamplesOptions, SampleSummary
} from "./bench/samples.js";
export {scoreRewardBench, rewardBenchSectionScores} from "./bench/scoreRewardBench.js";
export type {RewardBenchScores, RewardBenchDetails} from "./bench/scoreRewardBench.js";
export {scoreRmBench, rmBenchDomainLevels, rmBenchTotals} from "./bench/scoreRmBench.js";
export type {RmBenchScores, RmBenchDetails, RmBenchDomainDetail} from "./bench/scoreRmBench.js";
export {scoreRmb} from "./bench/scoreRmb.js";
export type {RmbScores, RmbDetails, RmbSectionDetail} from "./bench/scoreRmb.js";
export {scoreSamples, scoreSamplesFile, allScores, paperAverage} from "./bench/scoreSamples.js";
export type {BenchResults, AllScores} from "./bench/scoreSamples.js";
export {renderBenchReport} from "./bench/renderBenchReport.js";
export type {BenchReportOptions} from "./bench/renderBenchReport.js";
export {paperTable1, paperRewardBench, paperRmBench, paperRmb, releasedResults} from "./bench/publishedResults.js";
export type {PaperOverallRow, PaperRewardBenchRow, PaperRmBenchRow, PaperRmbRow, ReleasedResult} from "./bench/publishedResults.js";
export {runEval, engineContextSize} from "./bench/runEval.js";
export type {RunEvalOptions, EvalResult, EvalStart, EvalProgress, EvalSample, MissingNotes} from "./bench/runEval.js";
// native checkpoints
export {saveCheckpoint} from "./native/checkpoint/saveCheckpoint.js";
export type {Checkpoint, SaveCheckpointOptions} from "./native/checkpoint/saveCheckpoint.js";
export {checkpointFormatVersion} from "./native/checkpoint/CheckpointMeta.js";
export type {CheckpointExtra, CheckpointMeta} from "./native/checkpoint/CheckpointMeta.js";
export {loadCheckpoint} from "./native/checkpoint/loadCheckpoint.js";
export type {LoadedCheckpoint} from "./native/checkpoint/loadCheckpoint.js";
export {checkParams} from "./native/checkpoint/checkParams.js";
export {toHfConfig, fromHfConfig} from "./native/checkpoint/hfConfig.js";
export type {HfLlamaConfig} from "./native/checkpoint/hfConfig.js";
export {bytesToUnicode, byteTokenStrings, byteTokenizerJson, byteTokenizerConfigJson, checkByteTokenizerJson} from "./native/checkpoint/hfTokenizer.js";
export {SafetensorsFile, encodeSafetensors, parseSafetensorsHeader} from "./native/checkpoint/safetensors.js";
export type {SafetensorsDtype, SafetensorsEntry, SafetensorsHeader, LoadedTensor, TensorToWrite} from "./native/checkpoint/safetensors.js";
export {f32ToF16Bits, f16BitsToF32, bf16BitsToF32} from "./native/checkpoint/float16.js";
export {GgufWriter, ggmlTensorBytes} from "./native/checkpoint/GgufWriter.js";
export type {GgufValue, GgufArray} from "./native/checkpoint/GgufWriter.js";
export {GgufValueType, GgmlType, ggmlTypeInfo, GgufTokenType, GgufFileType} from "./native/checkpoint/ggufFormat.js";
export {readGguf, readGgufTensor} from "./native/checkpoint/readGguf.js";
export type {GgufInfo, GgufTensorInfo, GgufMetadataValue} from "./native/checkpoint/readGguf.js";
export {validateGgufModel} from "./native/checkpoint/validateGgufModel.js";
export type {GgufModelSummary} from "./native/checkpoint/validateGgufModel.js";
export {exportGguf, encodeGgufModel, permuteRopeRows} from "./native/checkpoint/exportGguf.js";
export type {GgufDtype, ExportGgufOptions, ModelWeights} from "./native/checkpoint/exportGguf.js";
// gguf engine
export {GgufEngine, defaultGgufThreads, parseGgufHubUri} from "./engines/gguf/GgufEngine.js";
export type {GgufEngineOptions, GgufEngineInfo} from "./engines/gguf/GgufEngine.js";
// native model and kernels
export {modelPresets, paramSpecs, paramCount, validateConfig, headDim} from "./native/model/ModelConfig.js";
export type {ModelConfig, ParamSpec} from "./native/model/ModelConfig.js";
export {ByteTokenizer, specialTokens, specialTokenText, byteVocabSize, byteChatTemplateJinja} from "./native/tokenizer/ByteTokenizer.js";
export {resolveModelConfig} from "./native/model/resolveModelConfig.js";
export {initParams} from "./native/model/initParams.js";
export {NativeModel} from "./native/model/NativeModel.js";
export type {TokenSequences, ForwardOptions, ForwardResult, BackwardInput, NativeModelOptions} from "./native/model/NativeModel.js";
export {AdamW} from "./native/model/AdamW.js";
export type {AdamWOptions, AdamWState} from "./native/model/AdamW.js";
export {KernelRuntime} from "./native/kernels/KernelRuntime.js";
export type {KernelRuntimeOptions, KernelProfile, GemmArgs} from "./native/kernels/KernelRuntime.js";
export {generateTokens} from "./native/generate/generateTokens.js";
export type {GenerateOptions} from "./native/generate/generateTokens.js";
export {BatchDecoder} from "./native/generate/BatchDecoder.js";
export type {BatchDecoderOptions, SequenceOptions, GeneratedSequence} from "./native/generate/BatchDecoder.js";
export {sampleToken, topLogprobs} from "./native/generate/sampling.js";
export type {SamplingParams} from "./native/generate/sampling.js";
export {NativeEngine} from "./native/NativeEngine.js";
export type {NativeEngineOptions} from "./native/NativeEngine.js";
// distill
export {distill, DEFAULT_TEACHER, DEFAULT_PASS2_TEACHER, DEFAULT_PASS1_OPTIONS, DEFAULT_PASS2_OPTIONS} from "./distill/distill.js";
export type {DistillOptions, DistillResult} from "./distill/distill.js";
export {distillStatus} from "./distill/distillSummary.js";
export type {DistillSummary, DistillProgress, PassSummary, BatchSummary} from "./distill/distillSummary.js";
export {DistillStore, DISTILL_STORE_FILE} from "./distill/DistillStore.js";
export type {DistillItem, DistillCall, DistillBatch, DistillPass, ItemState, CallStatus} from "./distill/DistillStore.js";
export {loadDistillItems, itemsDigest} from "./distill/distillItems.js";
export type {DistillInput, RenderedDistillRow, DistillItemOptions} from "./distill/distillItems.js";
export {pass2Messages, distillRequest, promptHash} from "./distill/distillRequest.js";
export {writeDistillOutput, sftRow, distillFormats} from "./distill/writeDistillOutput.js";
export type {DistillFormat, DistillOutput, DistillOutputOptions, DistillProvenance} from "./distill/writeDistillOutput.js";
export {batchTarget, batchRequestLine, batchFileText, batchLimits, BATCH_DISCOUNT} from "./distill/batch/BatchTarget.js";
export type {BatchTarget, BatchProvider, BatchTargetOptions} from "./distill/batch/BatchTarget.js";
export {parseBatchResult} from "./distill/batch/parseBatchResult.js";
export type {BatchResult} from "./distill/batch/parseBatchResult.js";
export {BatchApi} from "./distill/batch/BatchApi.js";
export type {BatchApiOptions, BatchPoll} from "./distill/batch/BatchApi.js";
export {ingestResultsFile} from "./distill/runBatch.js";
export type {IngestReport, BatchRunReport} from "./distill/runBatch.js";
// train
export {trainSft, accumulateNll, heldOutLoss} from "./train/trainSft.js";
export type {SftOptions, SftResult} from "./train/trainSft.js";
export {trainGrpo} from "./train/trainGrpo.js";
export type {GrpoOptions, GrpoResult, RlAlgorithm} from "./train/trainGrpo.js";
export {trainBradleyTerry, evaluatePairs, conversationTokens, SCORE_HEAD} from "./train/trainBradleyTerry.js";
export type {BradleyTerryTrainOptions, BradleyTerryTrainResult, BradleyTerryHyperParams} from "./train/trainBradleyTerry.js";
export {BradleyTerryScorer} from "./train/BradleyTerryScorer.js";
export type {BradleyTerryScorerOptions} from "./train/BradleyTerryScorer.js";
export {ScalarHead} from "./train/ScalarHead.js";
export {sftPresets, grpoPresets, trainPresetNames, isTrainPresetName} from "./train/presets.js";
export type {TrainPresetName, SftPreset, GrpoPreset} from "./train/presets.js";
export {cosineSchedule, constantSchedule, learningRate} from "./train/schedules.js";
export type {LrSchedule, CosineScheduleOptions} from "./train/schedules.js";
export {groupAdvantages, mixedGroups, gae, whiten} from "./train/advantages.js";
export type {AdvantageNorm, GroupAdvantageOptions} from "./train/advantages.js";
export {clippedSurrogate, lowVarKl, clippedValueLoss, aggregationWeights, policyLoss} from "./train/policyLoss.js";
export type {LossAggregation, SurrogateTerm, PolicyLossInput, PolicyLossOptions, PolicyLossResult} from "./train/policyLoss.js";
export {sftExampleFromRow, readSftExamples, tokenizeSft} from "./train/sftData.js";
export type {SftExample, SftSequence} from "./train/sftData.js";
export {readRlPrompts, rlOrders} from "./train/rlData.js";
export type {RlPrompt, RlOrder, ReadRlPromptsOptions} from "./train/rlData.js";
export {GgufRolloutSampler, rolloutBackends, completionTokens} from "./train/rollouts.js";
export type {Rollout, RolloutPrompt, RolloutSampling, RolloutBackend, RolloutSampler, GgufRolloutOptions} from "./train/rollouts.js";
export {NativeRolloutSampler} from "./train/NativeRolloutSampler.js";
export {EpochSampler} from "./train/EpochSampler.js";
export {TrainRun} from "./train/TrainRun.js";
export type {StepMetrics, TrainProgress, RunOptions} from "./train/TrainRun.js";
export {saveTrainerCheckpoint, loadTrainerCheckpoint, loadLatestTrainerCheckpoint, listCheckpointSteps, stepDirName} from "./train/trainerCheckpoint.js";
export type {TrainerState, TrainerSnapshot, LoadedTrainerCheckpoint} from "./train/trainerCheckpoint.js";
// viewer
export {startViewer, isLoopbackHost, defaultViewerPort} from "./viewer/startViewer.js";
export type {ViewerOptions, Viewer} from "./viewer/startViewer.js";
export {locateQuote, traceView} from "./viewer/traceView.js";
export type {QuotablePart, TraceContext} from "./viewer/traceView.js";
export type * from "./viewer/apiTypes.js";
// serve
export {startServer, RewardServer} from "./serve/RewardServer.js";
export type {ServeOptions, ServeLimits} from "./serve/RewardServer.js";
export {RewardService, rewardModes, isRewardMode, parseRewardRequest} from "./serve/RewardService.js";
export type {RewardMode, RewardOptions, RewardRequest, RewardResponse, RewardEvents} from "./serve/RewardService.js";
export {BatchingEngine} from "./serve/BatchingEngine.js";
export type {BatchingEngineOptions} from "./serve/BatchingEngine.js";
export {AdmissionQueue} from "./serve/AdmissionQueue.js";
export type {AdmissionQueueOptions} from "./serve/AdmissionQueue.js";
export {GroupBuffer} from "./serve/GroupBuffer.js";
export type {GroupBufferOptions} from "./serve/GroupBuffer.js";
export {HttpError, httpErrorFrom} from "./serve/HttpError.js";
export {MetricsRegistry, Counter, Gauge, Histogram, prometheusContentType} from "./serve/Metrics.js";
export {ServerMetrics} from "./serve/ServerMetrics.js";
export {parseChatRequest, toChatCompletion, toChatChunks} from "./serve/chatCompletions.js";
export type {ChatCall, ChatLimits, ChatMeta} from "./serve/chatCompletions.js";
export {responseOf, stripEndTokens, parseChatText, defaultEndTokens} from "./serve/openrlhfQuery.js";
export {checkBearer} from "./serve/bearerAuth.js";
// scale
export {rmR1Recipe, modelFamilies, modelSizes} from "./scale/rmR1Recipe.js";
export type {ModelFamily, ModelSize, RmR1Recipe, RlvrRecipe, DistillRecipe} from "./scale/rmR1Recipe.js";
export {writeLaunch, writeOpenRlhfLaunch, writeVerlLaunch, launchFiles, trainers, rewardWirings, openRlhfDialects} from "./scale/writeLaunch.js";
export type {Trainer, RewardWiring, OpenRlhfDialect, LaunchOptions, LaunchResult} from "./scale/writeLaunch.js";
export {rewardModuleSource} from "./scale/rewardModuleSource.js";
export type {RewardModuleOptions} from "./scale/rewardModuleSource.js";
// quickstart
export {runQuickstart, quickstartPreset, quickstartStages, DEFAULT_BASE_MODEL} from "./quickstart/runQuickstart.js";
export type {QuickstartOptions, QuickstartResult, QuickstartStage, QuickstartOverrides} from "./quickstart/runQuickstart.js";
export {quickstartPresets, quickstartBudgets} from "./quickstart/quickstartPresets.js";
export type {QuickstartBudget, QuickstartPreset, QuickstartSftSpec, QuickstartGrpoSpec, QuickstartBtSpec} from "./quickstart/quickstartPresets.js";
export {writeQuickstartData, writeSftMix, worldPairMix, worldTestPairs, readWorldPairs, readTestOrders} from "./quickstart/quickstartData.js";
export type {QuickstartDataSpec, QuickstartDataFiles} from "./quickstart/quickstartData.js";
export {judgeWithModel, judgeWithScorer} from "./quickstart/evaluateWorldJudge.js";
export type {JudgedSample, JudgeWithModelOptions} from "./quickstart/evaluateWorldJudge.js";
export {quickstartScores, quickstartReport, readingNotes, variantLabels} from "./quickstart/quickstartReport.js";
export type {QuickstartScores, QuickstartVariant, VariantScores, CellScore} from "./quickstart/quickstartReport.js";
